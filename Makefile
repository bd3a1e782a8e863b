# Entry points; the work is done by the scripts in scripts/.
.PHONY: setup build demo test e2e bench profile clean

setup:
	scripts/setup.sh

build: setup
	scripts/build.sh

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# End to end only, against the bundle already built in dist/.
e2e: setup
	scripts/e2e.sh

# Parley beside Converse.js, figures in one table: make bench [R=2000 M=2000 K=200 H=5000 N=3]
R ?= 2000
M ?= 2000
K ?= 200
H ?= 5000
N ?= 3
bench: setup
	[ -f dist/index.html ] || scripts/build.sh
	scripts/bench.sh $(R) $(M) $(K) $(H) $(N)

# A Chromium trace of one step for Parley: make profile STEP=roster
STEP ?= roster
profile: setup
	scripts/profile.sh $(STEP) $(R) $(M) $(K) $(H)

# Build output, server data and test reports; target/ stays (use cargo clean: rebuilding it takes minutes).
clean:
	server/prosody.sh stop demo
	server/prosody.sh stop test
	server/prosody.sh stop compare
	rm -rf dist .run test-results playwright-report
