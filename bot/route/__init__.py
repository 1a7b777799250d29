"""The client's route: uitstroom, placements, overdracht, doelgroepen, trajecten."""
