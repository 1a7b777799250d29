"""The weekdate bot: a Telegram assistant for municipal re-integration teams."""
