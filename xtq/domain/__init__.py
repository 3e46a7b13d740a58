"""The hall's rules, free of Flask requests. Every rule that depends on time takes `now`."""
