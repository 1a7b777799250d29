"""A client's route: overdracht, doelgroepen over time, undo (and the other route slices)."""
