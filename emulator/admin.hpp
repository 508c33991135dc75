// Admin endpoint routes (documented in docs/emulator.md), registered on the same server.
#pragma once

namespace httplib {
class Server;
}

namespace ecr_emulator {

struct Emulator;
void register_admin_routes(httplib::Server& http, Emulator& emulator);

}  // namespace ecr_emulator
