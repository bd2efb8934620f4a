#include "platform/byte_queue.hpp"
#include "support/catch.hpp"

#include <string>
#include <thread>
#include <vector>

using xtc::platform::ByteQueue;

namespace {

std::string drain(ByteQueue& queue, ByteQueue::Pop& last) {
  std::string out;
  std::vector<char> block;
  while ((last = queue.pop(block)) == ByteQueue::Pop::data) {
    REQUIRE_FALSE(block.empty());
    out.append(block.begin(), block.end());
  }
  return out;
}

} // namespace

TEST_CASE("a byte queue passes a stream between threads in order",
          "[platform]") {
  ByteQueue queue(1); // the smallest capacity: the producer waits often
  std::string sent;
  for (int i = 0; i < 3000; ++i) {
    sent += std::to_string(i) + std::string(static_cast<std::size_t>(i % 997),
                                            static_cast<char>('a' + i % 26));
  }
  std::thread producer([&] {
    for (std::size_t at = 0; at < sent.size(); at += 16384) {
      CHECK(queue.push(std::string_view(sent).substr(at, 16384)));
    }
    queue.close();
  });
  ByteQueue::Pop last = ByteQueue::Pop::data;
  const std::string received = drain(queue, last);
  producer.join();
  CHECK(last == ByteQueue::Pop::end);
  CHECK(received == sent);
}

TEST_CASE("a cancelled byte queue wakes its consumer", "[platform]") {
  ByteQueue queue(1 << 20);
  CHECK(queue.push("abc"));
  std::thread producer([&] { queue.cancel(); });
  producer.join();
  std::vector<char> block;
  CHECK(queue.pop(block) == ByteQueue::Pop::cancelled);
  CHECK_FALSE(queue.push("more"));
}

TEST_CASE("an abandoned byte queue never blocks its producer", "[platform]") {
  ByteQueue queue(1);
  queue.abandon();
  const std::string big(8 << 20, 'x'); // far beyond the capacity
  CHECK_FALSE(queue.push(big));
  queue.close();
}
