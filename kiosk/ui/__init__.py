"""Drawing helpers shared by the kiosk's scenes and the games."""
