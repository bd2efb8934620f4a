#include "platform/byte_queue.hpp"

#include <algorithm>

namespace xtc::platform {
namespace {

// libcurl hands over 16 KiB at a time; the consumer wakes once per block of
// up to this size instead of once per chunk.
constexpr std::size_t k_block = 256 * 1024;

} // namespace

ByteQueue::ByteQueue(std::size_t capacity)
    : m_capacity(std::max(capacity, k_block)) {}

bool ByteQueue::push(std::string_view chunk) {
  std::unique_lock lock(m_mutex);
  while (!chunk.empty()) {
    m_writable.wait(lock, [this] {
      return m_cancelled || m_abandoned || m_bytes < m_capacity;
    });
    if (m_cancelled || m_abandoned) {
      return false;
    }
    if (m_blocks.empty() || m_blocks.back().size() >= k_block) {
      m_blocks.emplace_back();
      m_blocks.back().reserve(k_block);
    }
    std::vector<char>& tail = m_blocks.back();
    const std::size_t room =
        std::max(k_block - std::min(tail.size(), k_block), std::size_t{1});
    const std::size_t take = std::min(
        {chunk.size(), room, m_capacity - std::min(m_bytes, m_capacity)});
    tail.insert(tail.end(), chunk.begin(),
                chunk.begin() + static_cast<std::ptrdiff_t>(take));
    m_bytes += take;
    chunk.remove_prefix(take);
    m_readable.notify_one();
  }
  return true;
}

void ByteQueue::close() noexcept {
  {
    const std::lock_guard lock(m_mutex);
    m_closed = true;
  }
  m_readable.notify_all();
}

void ByteQueue::cancel() noexcept {
  {
    const std::lock_guard lock(m_mutex);
    m_cancelled = true;
    m_blocks.clear();
    m_bytes = 0;
  }
  m_readable.notify_all();
  m_writable.notify_all();
}

void ByteQueue::abandon() noexcept {
  {
    const std::lock_guard lock(m_mutex);
    m_abandoned = true;
    m_blocks.clear();
    m_bytes = 0;
  }
  m_writable.notify_all();
}

ByteQueue::Pop ByteQueue::pop(std::vector<char>& block) {
  std::unique_lock lock(m_mutex);
  m_readable.wait(
      lock, [this] { return m_cancelled || m_closed || !m_blocks.empty(); });
  if (m_cancelled) {
    return Pop::cancelled;
  }
  if (m_blocks.empty()) {
    return Pop::end;
  }
  block = std::move(m_blocks.front());
  m_blocks.pop_front();
  m_bytes -= block.size();
  m_taken += block.size();
  lock.unlock();
  m_writable.notify_one();
  return Pop::data;
}

} // namespace xtc::platform
