# Entry points; the work is done by the scripts in scripts/.
.PHONY: setup build demo test e2e clean

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

# Build output, server data and test reports; target/ stays (use cargo clean: rebuilding it takes minutes).
clean:
	server/prosody.sh stop demo
	server/prosody.sh stop test
	rm -rf dist .run test-results playwright-report
