"""Named entities: recognise people, organisations, places and dates, link them across languages, relate articles."""
