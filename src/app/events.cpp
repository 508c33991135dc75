#include "app/events.hpp"

namespace regsweep {

Events& no_events() {
  static Events events;
  return events;
}

}  // namespace regsweep
