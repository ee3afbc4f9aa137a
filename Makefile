# newsroom: `make run` serves it (offline trial with the GitHub sandbox), `make test` runs every test,
# `make bench` measures parsing and page speed. Each target installs the system packages it needs.

SWIFT        ?= swift
BUILD_PKGS   := libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkg-config
TEST_PKGS    := chromium chromium-driver sqlite3 postgresql
BENCH_PKGS   := wrk libxml2-utils curl postgresql
APT_STAMP    := .build/.apt-updated

# Offline trial defaults: plain http on loopback, the sandbox stands in for GitHub, members of acme get in.
HOST         ?= 127.0.0.1
PORT         ?= 8080

.PHONY: run test bench build deps test-deps bench-deps clean

define apt_install
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  mkdir -p .build; [ -f $(APT_STAMP) ] || { $$SUDO apt-get update -qq && touch $(APT_STAMP); }; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_install,$(BUILD_PKGS))

test-deps: deps
	$(call apt_install,$(TEST_PKGS))

bench-deps: deps
	$(call apt_install,$(BENCH_PKGS))

build: deps
	$(SWIFT) build

run: build
	GITHUB_ORG="$${GITHUB_ORG:-acme}" $(SWIFT) run newsroom serve --insecure-transport --host $(HOST) --port $(PORT)

# NEWSROOM_E2E=1 makes the browser test mandatory (it fails instead of skipping when Chromium is missing).
# scripts/with-postgres.sh gives the run a throwaway PostgreSQL cluster (temporary folder, loopback, a free port,
# never 5432) through NEWSROOM_TEST_POSTGRES_URL, and stops and deletes it afterwards, also when tests fail.
# `postgresql` brings the binaries (and pg_isready, via postgresql-client); the system-wide cluster Debian's package
# creates and starts is left alone.
# One test at a time. Storage is async now, so the parallel run no longer starves Swift's cooperative pool (it
# passes in about 45 s on an idle machine, `swift test --parallel`), but its hundreds of loopback HTTP calls with
# 10 s timeouts share 2 cores: with other builds loading the machine, one parallel run saw 115 of them time out.
test: test-deps
	NEWSROOM_E2E=1 bash scripts/with-postgres.sh $(SWIFT) test --no-parallel

bench: bench-deps
	bash scripts/bench.sh

clean:
	rm -rf .build
