// ecr-emulator: an ECR-API-compatible server for tests, benchmarks and the demo.
//   ecr-emulator [--port N] [--port-file FILE] [--seed FILE] [--region R] [--account-id ID]
//                [--access-key K] [--secret-key S] [--no-verify-signature] [--fault-seed N]
//                [--threads N] [--restore-delay-ms N] [--require-external-id ROLE_ARN=ID]...
// Prints "ecr-emulator listening on http://127.0.0.1:PORT" once it accepts connections.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "seed.hpp"
#include "server.hpp"

namespace {

constexpr const char* k_usage =
    "usage: ecr-emulator [--port N (0 = any free port, default)] [--port-file FILE] [--seed "
    "SNAPSHOT.json]\n"
    "                    [--region us-east-1] [--account-id 123456789012] [--access-key "
    "AKIDEXAMPLE]\n"
    "                    [--secret-key <test secret>] [--no-verify-signature] [--fault-seed N] "
    "[--threads 8]\n"
    "                    [--restore-delay-ms 0 (how long a restored image stays ACTIVATING)]\n"
    "                    [--require-external-id ROLE_ARN=ID (AssumeRole of that role needs "
    "that ExternalId; repeatable)]\n";

ecr_emulator::HttpServer* g_server = nullptr;

void on_signal(int) {
  if (g_server != nullptr) g_server->stop();
}

int usage_error(const std::string& message) {
  std::cerr << "ecr-emulator: " << message << "\n" << k_usage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ecr_emulator;
  std::signal(SIGPIPE, SIG_IGN);
  auto emu = std::make_unique<Emulator>();
  emu->config.credentials = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1",
                             ""};
  std::string port_file, seed_file;
  std::optional<std::string> region, account;
  std::uint64_t fault_seed = 1;
  ecr_emulator::Millis restore_delay_ms = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "--help" || arg == "-h") {
      std::cout << k_usage;
      return 0;
    } else if (arg == "--no-verify-signature") {
      emu->config.verify_signature = false;
    } else if (!value(v)) {
      return usage_error(arg + ": unknown flag or missing value");
    } else if (arg == "--port") {
      emu->config.port = std::atoi(v.c_str());
    } else if (arg == "--port-file") {
      port_file = v;
    } else if (arg == "--seed") {
      seed_file = v;
    } else if (arg == "--region") {
      region = v;
    } else if (arg == "--account-id") {
      if (v.size() != 12 || v.find_first_not_of("0123456789") != std::string::npos) {
        return usage_error("--account-id: must be 12 digits");
      }
      account = v;
    } else if (arg == "--access-key") {
      emu->config.credentials.access_key = v;
    } else if (arg == "--secret-key") {
      emu->config.credentials.secret_key = v;
    } else if (arg == "--fault-seed") {
      fault_seed = std::strtoull(v.c_str(), nullptr, 10);
    } else if (arg == "--threads") {
      emu->config.threads = std::atoi(v.c_str());
    } else if (arg == "--restore-delay-ms") {
      if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos)
        return usage_error("--restore-delay-ms: must be a whole number of milliseconds >= 0");
      restore_delay_ms = std::stoll(v);
    } else if (arg == "--require-external-id") {
      const auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
        return usage_error("--require-external-id: write ROLE_ARN=EXTERNAL_ID");
      emu->config.required_external_ids[v.substr(0, eq)] = v.substr(eq + 1);
    } else {
      return usage_error(arg + ": unknown flag");
    }
  }
  emu->faults.configure(Json{{"seed", fault_seed}});
  // Before seeding: seeded repositories belong to this account and region.
  if (region) emu->store.region = *region;
  if (account) emu->store.account_id = *account;
  if (!seed_file.empty()) {
    auto started = std::chrono::steady_clock::now();
    if (auto problem = load_snapshot_file(seed_file, emu->store, wall_clock_millis())) {
      std::cerr << "ecr-emulator: " << *problem << "\n";
      return 2;
    }
    std::size_t images = 0;
    for (const auto& [name, repo] : emu->store.repositories) images += repo.images.size();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    std::cerr << "ecr-emulator: seeded " << emu->store.repositories.size() << " repositories, "
              << images << " images in " << ms << " ms\n";
  }
  emu->store.restore_delay_ms = restore_delay_ms;
  emu->config.credentials.region = emu->store.region;
  emu->config.credentials.account_id = emu->store.account_id;

  HttpServer server(*emu);
  int port = server.bind();
  if (port <= 0) {
    std::cerr << "ecr-emulator: cannot bind 127.0.0.1:" << emu->config.port
              << "; pick another --port or use 0\n";
    return 1;
  }
  g_server = &server;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  if (!port_file.empty()) {
    std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, port_file);
  }
  std::cout << "ecr-emulator listening on http://127.0.0.1:" << port << std::endl;
  bool ok = server.run();
  g_server = nullptr;
  return ok ? 0 : 1;
}
