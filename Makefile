# Pasokan — make targets. `make help` lists them.

GO        ?= go
TEMPL     := $(GO) run github.com/a-h/templ/cmd/templ@v0.3.1100
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
TESTDATA  := .data/test

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
run: build ## start the portal with demo data on a private Postgres in .data/ (or DATABASE_URL)
	./bin/pasokan serve

.PHONY: build
build: ## build bin/pasokan
	$(GO) build -o bin/pasokan ./cmd/pasokan

.PHONY: test
test: ## vet, then every test (unit, Postgres, browser); stops the test cluster after
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./... ; status=$$?; \
	  $(GO) run ./cmd/pasokan devdb stop -dir $(TESTDATA) >/dev/null 2>&1; exit $$status

.PHONY: bench
bench: ## Go benchmarks of the hot paths
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./... ; status=$$?; \
	  $(GO) run ./cmd/pasokan devdb stop -dir $(TESTDATA) >/dev/null 2>&1; exit $$status

SUPPLIERS ?= 10000
DURATION  ?= 10s
REPEAT    ?= 1
CONNECTIONS ?= 16
PAGES     ?=

.PHONY: loadtest
loadtest: build ## drive every page with wrk at a scale: make loadtest SUPPLIERS=200000 DURATION=10s REPEAT=3 CONNECTIONS=16,64 PAGES=catalog,directory (seeds .data/load-N once); SUPPLIERS=10000,200000 alternates the scales run by run in one table
	$(GO) run ./cmd/loadtest -suppliers $(SUPPLIERS) -duration $(DURATION) -repeat $(REPEAT) -connections $(CONNECTIONS) -pages '$(PAGES)'

.PHONY: generate
generate: ## regenerate templ views
	$(TEMPL) generate

.PHONY: generate-check
generate-check: ## fail when generated templ code is stale
	$(TEMPL) generate
	@git diff --exit-code -- '*_templ.go' || { echo "generated templ code is stale: run make generate and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- '*_templ.go')" || { echo "untracked generated templ code: commit it"; git status --porcelain -- '*_templ.go'; exit 1; }

.PHONY: lint
lint: ## go vet and staticcheck
	$(GO) vet ./...
	$(STATICCHECK) ./...

.PHONY: lint-migrations
lint-migrations: SQUAWK_VERSION := 2.66.0
lint-migrations: ## lint the migrations after the baseline with squawk (pinned; installed from the npm registry into .tools/)
	@.tools/squawk/node_modules/.bin/squawk --version 2>/dev/null | grep -qx 'squawk $(SQUAWK_VERSION)' || \
	  npm install --prefix .tools/squawk --include=optional --no-audit --no-fund squawk-cli@$(SQUAWK_VERSION)
	.ci/lint-migrations

.PHONY: migrate
migrate: ## apply migrations (private cluster, or DATABASE_URL with DATABASE_OWNER_URL)
	$(GO) run ./cmd/pasokan migrate

.PHONY: seed
seed: ## load the demo data into an empty database
	$(GO) run ./cmd/pasokan seed

.PHONY: db-stop
db-stop: ## stop the private development cluster
	$(GO) run ./cmd/pasokan devdb stop

.PHONY: clean
clean: ## stop the private clusters and delete .data/ and bin/
	-$(GO) run ./cmd/pasokan devdb stop >/dev/null 2>&1
	-$(GO) run ./cmd/pasokan devdb stop -dir $(TESTDATA) >/dev/null 2>&1
	rm -rf .data bin
