# Every target creates .venv itself, so a fresh clone needs only `make run` or `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A booth needs the booth extra; the tests need every extra plus the tools (pyproject.toml).
BOOTH := $(VENV)/.installed-booth
STAMP := $(VENV)/.installed-test
FLEET := $(VENV)/.installed-fleet

.PHONY: run test demo fleet-demo lint bench fonts screens clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(BOOTH): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[booth]'
	touch $(BOOTH)

# The fleet demo needs the booth, the claim server and the central store's client.
$(FLEET): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[booth,claims,organiser,fleet]'
	touch $(FLEET)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# Exit status 3 is the staff panel's "Quit app" (the systemd unit stays stopped on it): a
# normal way out, not an error for make to report.
# PYTHONOPTIMIZE=2 as the systemd unit runs it (deploy/smartizen-kiosk.service): less memory.
run: $(BOOTH)
	@PYTHONOPTIMIZE=2 $(BIN)/python launch.py $(ARGS); status=$$?; \
	if [ $$status -eq 3 ]; then echo "Kiosk closed from the staff panel."; exit 0; fi; \
	exit $$status

demo: $(BOOTH)
	$(BIN)/python launch.py --headless --autoplay 5 --fast --seed 1 --db demo.db --screenshots screenshots

# A throwaway PostgreSQL, the fleet service, the claim server and five autoplaying booths;
# prints the dashboard's address. Ctrl-C stops everything. Needs Debian's postgresql.
fleet-demo: $(FLEET)
	$(BIN)/python tools/fleet_demo.py $(ARGS)

test: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest -q
	$(BIN)/lint-imports
	$(BIN)/ruff check .

# The import rules (which room may import what) and the style rules, without the tests.
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .

# Each script prints a table (add --json for one JSON object). Several take minutes.
bench: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/frames.py
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/startup.py
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/memory.py
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/speech.py
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/game_rounds.py
	$(BIN)/python benchmarks/lock_wait.py
	$(BIN)/python benchmarks/claims.py
	$(BIN)/python benchmarks/tally.py
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/remote_status.py
	$(BIN)/python benchmarks/outbox.py
	$(BIN)/python benchmarks/desks.py
	$(BIN)/python benchmarks/fleet.py
	$(BIN)/python benchmarks/sync_catchup.py
	$(BIN)/python benchmarks/fleet_sizing.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/dashboard_visible.py
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/soak.py
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/crash_safety.py
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/faults.py
	$(BIN)/python benchmarks/xvfb.py

# Regenerate the reference screenshots after an intended visual change.
screens: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest -q tests/test_screenshots.py --update-screens

# Rebuild the CJK font subset after string tables change (needs Debian's fonts-noto-cjk).
fonts: $(BIN)/python
	$(BIN)/python -m pip install -q fonttools
	$(BIN)/python tools/subset_fonts.py

clean:
	rm -rf $(VENV) build *.egg-info screenshots demo.db*
