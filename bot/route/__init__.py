"""The client's route: trajecten with limits and outcomes, exits, handovers, placements."""
