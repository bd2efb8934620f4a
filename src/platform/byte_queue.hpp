// ByteQueue carries a byte stream from one thread to another through a
// bounded buffer: the producer (a download) blocks while the buffer is full,
// the consumer (an extractor) blocks while it is empty. Either side can stop
// the stream without leaving the other waiting forever: the producer closes
// it (end of data) or cancels it (the data is void), the consumer abandons it
// (further bytes are dropped, so a download can still run to its end and be
// verified). It never reorders, duplicates or drops bytes of a stream that is
// neither cancelled nor abandoned.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string_view>
#include <vector>

namespace xtc::platform {

class ByteQueue {
public:
  enum class Pop { data, end, cancelled };

  // capacity: the bytes held at most before push() waits (at least one
  // block is always accepted, so a larger chunk never deadlocks).
  explicit ByteQueue(std::size_t capacity);
  ByteQueue(const ByteQueue&) = delete;
  ByteQueue& operator=(const ByteQueue&) = delete;
  ~ByteQueue() = default;

  // Appends a copy of chunk; waits while the buffer is full. Returns false
  // (dropping the bytes) once the queue is cancelled or abandoned.
  bool push(std::string_view chunk);
  // The producer's end of data: pop() returns `end` once the rest is read.
  void close() noexcept;
  // The stream is void: both sides stop waiting, pop() returns `cancelled`.
  void cancel() noexcept;
  // The consumer stops reading: push() drops bytes without waiting.
  void abandon() noexcept;

  // Moves the next block of bytes into `block` (never empty on `data`);
  // waits while nothing is buffered and the stream is still open.
  Pop pop(std::vector<char>& block);

  // The bytes pop() has handed out so far; any thread may ask.
  std::uint64_t taken() const noexcept { return m_taken.load(); }

private:
  std::size_t m_capacity;
  std::mutex m_mutex;
  std::condition_variable m_readable;
  std::condition_variable m_writable;
  std::deque<std::vector<char>> m_blocks;
  std::size_t m_bytes = 0;
  bool m_closed = false;
  bool m_cancelled = false;
  bool m_abandoned = false;
  std::atomic<std::uint64_t> m_taken{0};
};

} // namespace xtc::platform
