// A streaming JSON writer for large machine-read outputs (plans of a million images, snapshot
// files): it appends compact JSON to a string buffer and hands full chunks to a sink, so memory
// stays flat however big the document is. No DOM is built. Callers must pair begin_*/end_* and put
// a key() before every value inside an object; the writer only adds commas and escaping.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace regsweep {

// Appends `text` as a quoted JSON string (RFC 8259 escaping; control characters as \u00XX).
// Bytes >= 0x80 are copied as they are: input is expected to be UTF-8 already.
void append_json_string(std::string& out, std::string_view text);

class JsonWriter {
 public:
  using Sink = std::function<void(std::string_view chunk)>;

  // Without a sink everything stays in buffer(); with one, chunks of about `flush_bytes` are passed
  // on as they fill, and finish() passes the rest.
  explicit JsonWriter(Sink sink = {}, std::size_t flush_bytes = 1 << 20);

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view name);
  // A member name written as a string literal (the schema's own names) goes out as it is: a
  // literal needs no escaping, and skipping the scan counts at a million images.
  template <std::size_t N>
  void key(const char (&name)[N]) {
    literal_key(std::string_view(name, N - 1));
  }

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(std::int64_t number);
  void value(std::uint64_t number);
  void value(int number) { value(static_cast<std::int64_t>(number)); }
  void value(double number);  // shortest round-trip form; NaN/inf become null
  void value(bool flag);
  // A string from a fixed vocabulary (an enum's name such as "expire"), written without the escape
  // scan; it must hold no '"', '\\' or control character.
  void plain_value(std::string_view text);
  // A time as an ISO 8601 string (format_iso8601), written without a temporary string.
  void timestamp(std::int64_t epoch_millis);
  void null();
  // A value already serialised as JSON (e.g. an embedded document's canonical text), or several
  // elements of the open array with their separators ("{...},\n{...}"), rendered by another
  // writer. With a sink, a piece of at least flush_bytes goes to the sink directly, uncopied.
  void raw(std::string_view json);

  // Puts the next item (or closing bracket) on a new line, after its comma: one image per line
  // keeps big files readable and diffable at almost no cost.
  void newline() { m_newline = true; }
  void finish();  // passes what is buffered to the sink
  const std::string& buffer() const { return m_buf; }
  // Moves the buffered text out (no copy); the writer goes on with an empty buffer and the same
  // open containers.
  std::string take();
  void reserve(std::size_t bytes) { m_buf.reserve(bytes); }
  // Writes on into `storage`'s memory (its text is dropped), e.g. a buffer take() returned before:
  // reusing big buffers saves the page faults of fresh ones. Call while the buffer is empty.
  void reuse(std::string&& storage) {
    storage.clear();
    m_buf.swap(storage);
  }

 private:
  void literal_key(std::string_view name);
  void before_value();
  void before_close();
  void maybe_flush();

  Sink m_sink;
  std::size_t m_flush_bytes;
  std::string m_buf;
  std::vector<char> m_need_comma;  // one per open container
  bool m_after_key = false;
  bool m_newline = false;
};

}  // namespace regsweep
