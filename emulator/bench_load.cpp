// ecr-emulator-bench: loopback load generator for bench/emulator.sh.
//   --write-seed FILE --images N     write a snapshot: bench/describe (N images, 2 tags on every
//                                    other one) and bench/delete (N images) with digests
//                                    sha256("img-<i>"), then exit
//   --port P --mode small|describe|delete [--seconds S] [--threads T] [--images N] [--unsigned]
// Requests are SigV4-signed with the emulator's default test keys unless --unsigned (use it only
// against --no-verify-signature). Keep-alive connections, one per thread. Prints
// "<mode>: <requests> requests in <s> s = <rate> requests/s".
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "api.hpp"
#include "crypto.hpp"

namespace {

using ecr_emulator::Json;

constexpr const char* k_access_key = "AKIDEXAMPLE";
constexpr const char* k_secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

std::string digest_of(std::size_t i) {
  return "sha256:" + ecr_emulator::sha256_hex("img-" + std::to_string(i));
}

int write_seed(const std::string& path, std::size_t images) {
  std::ofstream out(path);
  out << "{\"registryId\":\"123456789012\",\"repositories\":[";
  const char* names[] = {"bench/describe", "bench/delete"};
  for (int r = 0; r < 2; ++r) {
    out << (r ? "," : "") << "{\"repositoryName\":\"" << names[r] << "\",\"imageDetails\":[";
    for (std::size_t i = 0; i < images; ++i) {
      out << (i ? "," : "") << "{\"imageDigest\":\"" << digest_of(i) << "\"";
      if (i % 2 == 0) out << ",\"imageTags\":[\"v" << i << "\",\"build-" << i << "\"]";
      out << ",\"imagePushedAt\":" << (1700000000 + static_cast<long>(i))
          << ",\"imageSizeInBytes\":" << (1000 + i)
          << ",\"imageManifestMediaType\":\"application/vnd.docker.distribution.manifest.v2+json\""
          << ",\"artifactMediaType\":\"application/"
             "vnd.docker.container.image.v1+json\",\"imageStatus\":\"ACTIVE\"}";
    }
    out << "]}";
  }
  out << "]}\n";
  return out ? 0 : 1;
}

std::string amz_date() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[17];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// SigV4 exactly as botocore signs an AWS JSON 1.1 call.
httplib::Headers signed_headers(const std::string& host, const std::string& target,
                                const std::string& body, bool sign) {
  std::string date = amz_date();
  httplib::Headers headers = {{"X-Amz-Target", target}, {"X-Amz-Date", date}};
  if (!sign) return headers;
  const std::string content_type = "application/x-amz-json-1.1";
  std::string canonical = "POST\n/\n\ncontent-type:" + content_type + "\nhost:" + host +
                          "\nx-amz-date:" + date + "\nx-amz-target:" + target +
                          "\n\ncontent-type;host;x-amz-date;x-amz-target\n" +
                          ecr_emulator::sha256_hex(body);
  std::string scope = date.substr(0, 8) + "/us-east-1/ecr/aws4_request";
  std::string to_sign =
      "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + ecr_emulator::sha256_hex(canonical);
  std::string key =
      ecr_emulator::hmac_sha256(std::string("AWS4") + k_secret_key, date.substr(0, 8));
  for (const char* part : {"us-east-1", "ecr", "aws4_request"})
    key = ecr_emulator::hmac_sha256(key, part);
  headers.emplace("Authorization",
                  std::string("AWS4-HMAC-SHA256 Credential=") + k_access_key + "/" + scope +
                      ", SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" +
                      ecr_emulator::hex(ecr_emulator::hmac_sha256(key, to_sign)));
  return headers;
}

struct Options {
  int port = 0;
  std::string mode = "small";
  double seconds = 5;
  int threads = 2;
  std::size_t images = 100000;
  bool sign = true;
};

void worker(const Options& opt, int id, std::atomic<bool>& stop, std::atomic<long>& done,
            std::atomic<long>& failed) {
  httplib::Client client("127.0.0.1", opt.port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  std::string host = "127.0.0.1:" + std::to_string(opt.port);
  std::string token;
  // delete mode: this thread owns digests id, id+threads, id+2*threads, ...
  std::size_t next = static_cast<std::size_t>(id);
  while (!stop) {
    std::string op, body;
    if (opt.mode == "small") {
      op = "DescribeImages";
      body = R"({"repositoryName":"bench/describe","imageIds":[{"imageTag":"v0"}]})";
    } else if (opt.mode == "describe") {
      op = "DescribeImages";
      Json req = {{"repositoryName", "bench/describe"}, {"maxResults", 1000}};
      if (!token.empty()) req["nextToken"] = token;
      body = req.dump();
    } else {
      op = "BatchDeleteImage";
      Json ids = Json::array();
      for (int k = 0; k < 100 && next < opt.images;
           ++k, next += static_cast<std::size_t>(opt.threads)) {
        ids.push_back({{"imageDigest", digest_of(next)}});
      }
      if (ids.empty()) break;  // ran out of images to delete
      body = Json{{"repositoryName", "bench/delete"}, {"imageIds", ids}}.dump();
    }
    auto headers =
        signed_headers(host, "AmazonEC2ContainerRegistry_V20150921." + op, body, opt.sign);
    auto res = client.Post("/", headers, body, "application/x-amz-json-1.1");
    if (!res || res->status != 200) {
      ++failed;
      if (failed < 3)
        std::cerr << "request failed: " << (res ? res->body : httplib::to_string(res.error()))
                  << "\n";
      continue;
    }
    if (opt.mode == "describe") {
      // The token is the last member; finding it beats parsing 400 KB per page on this side.
      std::size_t at = res->body.rfind("\"nextToken\":\"");
      token = at == std::string::npos
                  ? ""
                  : res->body.substr(at + 13, res->body.find('"', at + 13) - at - 13);
    }
    ++done;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  std::string seed_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string v = i + 1 < argc ? argv[i + 1] : "";
    if (arg == "--unsigned") {
      opt.sign = false;
      continue;
    }
    ++i;
    if (arg == "--write-seed")
      seed_path = v;
    else if (arg == "--images")
      opt.images = std::stoull(v);
    else if (arg == "--port")
      opt.port = std::stoi(v);
    else if (arg == "--mode")
      opt.mode = v;
    else if (arg == "--seconds")
      opt.seconds = std::stod(v);
    else if (arg == "--threads")
      opt.threads = std::stoi(v);
    else {
      std::cerr << "ecr-emulator-bench: unknown flag " << arg << "\n";
      return 2;
    }
  }
  if (!seed_path.empty()) return write_seed(seed_path, opt.images);
  if (opt.port <= 0 || (opt.mode != "small" && opt.mode != "describe" && opt.mode != "delete")) {
    std::cerr << "ecr-emulator-bench: need --port and --mode small|describe|delete\n";
    return 2;
  }
  std::atomic<bool> stop{false};
  std::atomic<long> done{0}, failed{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < opt.threads; ++t)
    threads.emplace_back(worker, std::cref(opt), t, std::ref(stop), std::ref(done),
                         std::ref(failed));
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
         opt.seconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (opt.mode == "delete" && static_cast<std::size_t>(done.load()) * 100 >= opt.images) break;
  }
  stop = true;
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %ld requests in %.2f s = %.0f requests/s (%ld failed, %d threads, %s)\n",
              opt.mode.c_str(), done.load(), elapsed, done.load() / elapsed, failed.load(),
              opt.threads, opt.sign ? "signed" : "unsigned");
  return failed > 0 ? 1 : 0;
}
