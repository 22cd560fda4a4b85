"""The booth: the fullscreen pygame program a visitor touches.

Launcher, main loop, the journey of scenes, the staff controller, idle watch, the hidden
gesture, display and scaling, autopilot bots, the systemd watchdog and the fleet's remote
control (settings applied between visitors, the status the heartbeat sends).

May import: the shared modules at ``kiosk/`` top level (config, i18n, input, clock, ui,
localday, pin, logsetup), ``kiosk.speech``, ``kiosk.playlog``, ``kiosk.prizes`` and
``games``. Nothing imports the booth except ``launch.py`` and the benchmarks.
"""
