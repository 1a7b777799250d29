"""The weekdate's pure rules: the agenda, meeting mode and the schedule."""
