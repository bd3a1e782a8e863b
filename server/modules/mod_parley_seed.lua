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
-- On a MUC component:
--   parley_seed_rooms = { lobby = "Lobby", ... }       public persistent rooms (node = name)

local usermanager = require "core.usermanager";
local rostermanager = require "core.rostermanager";

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

local function seed_rooms()
	local rooms = module:get_option("parley_seed_rooms", {});
	local muc = module:depends("muc");
	for node, name in pairs(rooms) do
		local room_jid = node .. "@" .. host;
		local room = muc.get_room_from_jid(room_jid) or muc.create_room(room_jid);
		if not room then
			module:log("error", "Could not create room %s", room_jid);
		else
			room:set_name(name);
			room:set_public(true);
			room:set_persistent(true);
			room:save(true);
		end
	end
end

local function seed()
	if module:get_host_type() == "component" then
		seed_rooms();
	else
		seed_users();
	end
	module:log("info", "Seed data is in place");
end

-- Accounts need the host's auth provider, and rooms mod_muc's storage: both are ready once the server has started.
module:hook_global("server-started", seed);
