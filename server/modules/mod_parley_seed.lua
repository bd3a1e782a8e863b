-- mod_parley_seed: demo and test data, created at server start through Prosody's own APIs.
-- Idempotent: running it again resets the seeded passwords and contacts and keeps everything else.
-- A password that is already right is left alone: setting it again would store a new SCRAM salt,
-- and a client's kept keys would no longer fit after a mere restart.
--
-- On a VirtualHost:
--   parley_seed_users = { alice = "password", ... }   accounts, created or reset to that password
--   parley_seed_contacts = { alice = "Alice", ... }    usernames (and display names) that all have
--                                                      each other as contacts, subscription "both"
--   parley_seed_group = "Friends"                      roster group of those contacts
--   parley_seed_bulk_rosters = { roster10k = 10000 }   accounts (password "roster-pw") whose
--                                                      rosters hold that many contacts member00001
--                                                      ... ("Member 00001", in "Team 01".."Team 25",
--                                                      every tenth also in "Night shift"), both
--                                                      ways, so each probe at login is answered
--   parley_seed_archive = { user = "compare", with = "member00001", count = 5000 }
--                                                      that many chat messages from with@host to
--                                                      user@host in user's archive (XEP-0313),
--                                                      "archived message 1" ... one second apart,
--                                                      the last a minute ago; only into an empty
--                                                      archive
-- On a MUC component:
--   parley_seed_rooms = { lobby = "Lobby", ... }       public persistent rooms (node = name), or
--     { secret = { name = "Secret garden", password = "sesame" },
--       members = { name = "Members only", members_only = true } }   (also description)
--   parley_seed_bulk_rooms = 2000                      public persistent rooms bulk-0001 ...,
--                                                      named "Bulk room 0001", created if missing

local usermanager = require "core.usermanager";
local st = require "util.stanza";
local rostermanager = require "core.rostermanager";
local now = require "util.time".now;

local host = module.host;

local function seed_users()
	local users = module:get_option("parley_seed_users", {});
	for username, password in pairs(users) do
		local ok, err;
		if usermanager.user_exists(username, host) then
			if usermanager.test_password(username, host, password) then
				ok = true;
			else
				ok, err = usermanager.set_password(username, password, host);
			end
		else
			ok, err = usermanager.create_user(username, password, host);
		end
		if not ok then
			module:log("error", "Could not create or reset %s@%s: %s", username, host, err);
		end
	end

	local contacts = module:get_option("parley_seed_contacts", {});
	local group = module:get_option_string("parley_seed_group", "Friends");
	for username in pairs(contacts) do
		local roster, err = rostermanager.load_roster(username, host);
		if not roster then
			module:log("error", "Could not load the roster of %s@%s: %s", username, host, err);
		else
			for contact, name in pairs(contacts) do
				if contact ~= username then
					roster[contact .. "@" .. host] = { subscription = "both"; name = name; groups = { [group] = true } };
				end
			end
			local ok, save_err = rostermanager.save_roster(username, host, roster);
			if not ok then
				module:log("error", "Could not save the roster of %s@%s: %s", username, host, save_err);
			end
		end
	end
end

-- The members are not accounts (creating 10,000 would hash 10,000 passwords): only their rosters
-- are stored, which is all Prosody reads to answer a probe. Written straight to the roster store,
-- once per member, for every bulk account at the same time.
local function seed_bulk_rosters()
	local rosters = module:get_option("parley_seed_bulk_rosters", {});
	local store = module:open_store("roster");
	local most = 0;
	for username, count in pairs(rosters) do
		local ok, err = true, nil;
		if not usermanager.user_exists(username, host) then
			ok, err = usermanager.create_user(username, "roster-pw", host);
		end
		if not ok then
			module:log("error", "Could not create %s@%s: %s", username, host, err);
		else
			local roster = { [false] = { version = 1 } };
			for i = 1, count do
				local groups = { [("Team %02d"):format(i % 25 + 1)] = true };
				if i % 10 == 0 then groups["Night shift"] = true; end
				roster[("member%05d@%s"):format(i, host)] =
					{ subscription = "both"; name = ("Member %05d"):format(i); groups = groups };
			end
			local saved, save_err = store:set(username, roster);
			if not saved then
				module:log("error", "Could not save the roster of %s@%s: %s", username, host, save_err);
			end
			if count > most then most = count; end
		end
	end
	for i = 1, most do
		local roster = { [false] = { version = 1 } };
		for username, count in pairs(rosters) do
			if i <= count then
				roster[username .. "@" .. host] = { subscription = "both"; groups = {} };
			end
		end
		store:set(("member%05d"):format(i), roster);
	end
	if most > 0 then
		module:log("info", "Bulk rosters: up to %d contacts", most);
	end
end

-- Written to the store mod_mam reads, with distinct times: messages sent over XMPP in a burst
-- would share their second, and clients that order by time could not tell them apart.
local function seed_archive()
	local spec = module:get_option("parley_seed_archive");
	if not spec then return; end
	local archive = module:open_store("archive", "archive");
	local first = archive:find(spec.user, { limit = 1 });
	if first and first() then
		module:log("info", "Archive of %s already seeded", spec.user);
		return;
	end
	local from, to = spec.with .. "@" .. host, spec.user .. "@" .. host;
	local last = math.floor(now()) - 60;
	for i = 1, spec.count do
		local message = st.message({ from = from .. "/seed"; to = to; type = "chat"; id = ("seed-%d"):format(i) })
			:text_tag("body", ("archived message %d"):format(i));
		local ok, err = archive:append(spec.user, nil, message, last - (spec.count - i), from);
		if not ok then
			module:log("error", "Could not archive message %d for %s: %s", i, spec.user, err);
			return;
		end
	end
	module:log("info", "Archive of %s: %d messages from %s", spec.user, spec.count, from);
end

local function seed_rooms(muc)
	local rooms = module:get_option("parley_seed_rooms", {});
	for node, spec in pairs(rooms) do
		local room_jid = node .. "@" .. host;
		local room = muc.get_room_from_jid(room_jid) or muc.create_room(room_jid);
		if not room then
			module:log("error", "Could not create room %s", room_jid);
		else
			if type(spec) == "table" then
				-- The whole seeded definition: a password or description set by a test goes.
				room:set_name(spec.name);
				room:set_description(spec.description);
				room:set_password(spec.password);
				room:set_members_only(spec.members_only);
			else
				room:set_name(spec);
			end
			room:set_public(true);
			room:set_persistent(true);
			room:save(true);
		end
	end
end

-- Written straight to mod_muc's stores, not through room:save(): each save rewrites the whole
-- list of persistent rooms (quadratic), and live rooms would all be saved again at shutdown.
-- The rooms are restored from storage when first used, like any room after a restart.
local function seed_bulk_rooms(muc)
	local count = module:get_option_number("parley_seed_bulk_rooms", 0);
	if count <= 0 then return; end
	local room_list = module:open_store("persistent");
	local room_configs = module:open_store("config");
	local listed, err = room_list:get(nil);
	if not listed then
		if err then
			module:log("error", "Could not read the list of persistent rooms: %s", err);
			return;
		end
		listed = {};
	end
	local added = 0;
	for i = 1, count do
		local number = ("%04d"):format(i);
		local node = "bulk-" .. number;
		local room_jid = node .. "@" .. host;
		if not listed[room_jid] then
			local room = muc.new_room(room_jid);
			room:set_name("Bulk room " .. number);
			room:set_description("Seeded room " .. number);
			room:set_public(true);
			room:set_persistent(true);
			local ok, set_err = room_configs:set(node, (room:freeze()));
			if ok then
				listed[room_jid] = true;
				added = added + 1;
			else
				module:log("error", "Could not store room %s: %s", room_jid, set_err);
			end
		end
	end
	if added > 0 then
		local ok, set_err = room_list:set(nil, listed);
		if not ok then
			module:log("error", "Could not write the list of persistent rooms: %s", set_err);
		end
	end
	module:log("info", "Bulk rooms: %d added, %d wanted", added, count);
end

local function seed()
	local started = now();
	if module:get_host_type() == "component" then
		local muc = module:depends("muc");
		seed_rooms(muc);
		seed_bulk_rooms(muc);
		-- Room listings cached from storage (mod_parley_muc_list) are now out of date.
		module:fire_event("parley-muc-rooms-seeded");
	else
		seed_users();
		seed_bulk_rosters();
		seed_archive();
	end
	module:log("info", "Seed data is in place (%.2f s)", now() - started);
end

-- Accounts need the host's auth provider, and rooms mod_muc's storage: both are ready once the server has started.
module:hook_global("server-started", seed);
