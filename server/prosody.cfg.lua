-- Parley's own Prosody 0.12 config, shared by the demo and the test instance.
-- Start it only through server/prosody.sh: it sets the PARLEY_* environment
-- variables read here (Prosody exposes them to the config as ENV_PARLEY_*).
-- Everything listens on 127.0.0.1 only; s2s is off.

local instance = assert(ENV_PARLEY_INSTANCE, "start Prosody with server/prosody.sh")
local repo_dir = assert(ENV_PARLEY_REPO_DIR, "PARLEY_REPO_DIR is not set")
local run_dir = assert(ENV_PARLEY_RUN_DIR, "PARLEY_RUN_DIR is not set")
local https_port = assert(tonumber(ENV_PARLEY_HTTPS_PORT), "PARLEY_HTTPS_PORT is not a number")
local loopback = { "127.0.0.1" }

-- Process: foreground, our own data and logs, never /etc/prosody or /var/lib/prosody.
run_as_root = true
data_path = run_dir .. "/data"
certificates = run_dir .. "/certs"
plugin_paths = { repo_dir .. "/server/modules" }
log = {
	{ levels = { min = ENV_PARLEY_LOG_LEVEL or "info" }, to = "file", filename = run_dir .. "/prosody.log" };
}

-- Network: loopback only, one HTTPS port for the app and the websocket. No plain HTTP, no s2s,
-- and no plain c2s port either (the web app needs none; it would clash with a system server's 5222).
interfaces = loopback
local_interfaces = loopback
c2s_interfaces = loopback
c2s_ports = { }
c2s_direct_tls_interfaces = loopback
c2s_direct_tls_ports = { }
legacy_ssl_interfaces = loopback
legacy_ssl_ports = { }
s2s_interfaces = loopback
s2s_ports = { }
component_interfaces = loopback
component_ports = { }
http_interfaces = loopback
http_ports = { }
https_interfaces = loopback
https_ports = { https_port }
-- Requests for https://127.0.0.1:<port>/ are served as if for localhost.
http_default_host = "localhost"

authentication = "internal_hashed"
storage = "internal"

modules_enabled = {
	"roster"; "saslauth"; "tls"; "disco"; "carbons"; "mam"; "smacks"; "csi_simple";
	"bookmarks"; "pep"; "vcard4"; "vcard_legacy"; "blocklist"; "private";
	"ping"; "time"; "version"; "register"; "websocket";
}
modules_disabled = { "s2s"; "s2s_auth_certs" }

-- The browser's websocket runs over our HTTPS port, so the stream counts as encrypted.
consider_websocket_secure = true

-- Tests register accounts freely from loopback.
allow_registration = true
min_seconds_between_registrations = 0
registration_throttle_max = 1000

-- Room for large test data and long histories.
archive_expires_after = "never"
storage_archive_item_limit = 200000
max_archive_query_results = 500
muc_room_cache_size = 5000
c2s_stanza_size_limit = 512 * 1024

-- mod_parley_web: the app bundle, /config.json and XEP-0156 host-meta on the same origin.
parley_web_dir = ENV_PARLEY_DIST_DIR or (repo_dir .. "/dist")
-- The embedding e2e's host pages (tests/e2e/specs/embed.spec.ts) frame the app from two other
-- origins; an operator widens frame-ancestors the same way (docs/embedding.md).
parley_frame_ancestors = "'self' https://localhost:5448 https://localhost:5449"

local seed_users = { alice = "wonderland"; bob = "builder"; carol = "christmas" }
local seed_rooms = { lobby = "Lobby"; rust = "Rust"; tea = "Tea room" }
local bulk_rooms = 200
local bulk_rosters = {}
local seed_archive = nil
if instance == "test" then
	-- Clean accounts (no roster) for tests that must start from nothing.
	seed_users.dave = "dave-pw"
	seed_users.erin = "erin-pw"
	-- SASLprep (RFC 4013): a no-break space and a character NFKC turns into "1".
	seed_users.frank = "Ёжик\u{A0}в тумане \u{2460}"
	-- Occupants for the crowd room, joined by the tests.
	for i = 1, 100 do
		seed_users[("bot%03d"):format(i)] = "bot-pw"
	end
	seed_rooms.secret = { name = "Secret garden"; password = "sesame" }
	seed_rooms.members = { name = "Members only"; members_only = true }
	seed_rooms.crowd = "Crowd"
	bulk_rooms = 2000
	-- roster.spec's roster at scale.
	bulk_rosters.roster10k = 10000
	-- XEP-0198: a dropped session is kept 6 s (Prosody's default is 600), so the delivery test
	-- can outlast it while messages flow, and a closed test page does not stay online for ten minutes.
	smacks_hibernation_time = 6
elseif instance == "bench" then
	-- scripts/bench-rooms.sh: a service with 10,000 rooms and a room of 500 occupants.
	for i = 1, 500 do
		seed_users[("bot%03d"):format(i)] = "bot-pw"
	end
	seed_rooms.crowd = "Crowd"
	bulk_rooms = 10000
	-- scripts/bench-roster.sh.
	bulk_rosters.roster2k = 2000
	bulk_rosters.roster10k = 10000
elseif instance == "compare" then
	-- scripts/bench.sh, Parley and Converse.js side by side, with the sizes it is given: the
	-- account "compare" with PARLEY_BENCH_CONTACTS contacts, PARLEY_BENCH_ROOMS rooms and
	-- PARLEY_BENCH_OCCUPANTS bots for the room "crowd".
	for i = 1, tonumber(ENV_PARLEY_BENCH_OCCUPANTS) or 200 do
		seed_users[("bot%03d"):format(i)] = "bot-pw"
	end
	seed_rooms.crowd = "Crowd"
	bulk_rooms = tonumber(ENV_PARLEY_BENCH_ROOMS) or 2000
	bulk_rosters.compare = tonumber(ENV_PARLEY_BENCH_CONTACTS) or 2000
	seed_archive = { user = "compare"; with = "member00001"; count = tonumber(ENV_PARLEY_BENCH_ARCHIVED) or 5000 }
end

VirtualHost "localhost"
	http_paths = { parley_web = "/"; websocket = "/xmpp-websocket" }
	modules_enabled = { "parley_web"; "parley_seed" }
	parley_seed_users = seed_users
	-- Mutual contacts (subscription "both") in one group, with display names.
	parley_seed_contacts = { alice = "Alice"; bob = "Bob"; carol = "Carol" }
	parley_seed_group = "Friends"
	parley_seed_bulk_rosters = bulk_rosters
	parley_seed_archive = seed_archive

Component "conference.localhost" "muc"
	modules_enabled = { "muc_mam"; "parley_seed"; "parley_muc_list" }
	muc_room_default_public = true
	muc_room_default_persistent = true
	muc_log_by_default = true
	muc_log_all_rooms = true
	muc_log_expires_after = "never"
	parley_seed_rooms = seed_rooms
	-- bulk-0001@... "Bulk room 0001", for the room browser and its benchmarks.
	parley_seed_bulk_rooms = bulk_rooms

-- Guest access (config.json "guest", SASL ANONYMOUS): temporary addresses, no accounts; they may
-- enter the rooms of conference.localhost (the same server, so no s2s is involved).
VirtualHost "guest.localhost"
	authentication = "anonymous"
	-- Nobody creates accounts here: the login page must hide "Create an account" for it.
	allow_registration = false

-- A server that asks for more than a user name and password when an account is made (XEP-0077
-- with a XEP-0004 form): an email address it requires, and a name it does not.
VirtualHost "forms.localhost"
	additional_registration_fields = { "email+"; "name" }
