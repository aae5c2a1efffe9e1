"""Emergency detection by meaning, shared by Rasa, the chat gateway and the Telegram bridge."""
