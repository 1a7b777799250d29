"""What the bot holds and for how long: retention purge, inzage and wis (issue 14)."""
