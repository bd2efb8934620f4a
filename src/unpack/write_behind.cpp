#include "unpack/write_behind.hpp"

namespace xtc::unpack {
namespace {

// Enough to ride out a burst of small files without holding much memory.
constexpr std::size_t k_max_queued_bytes = 32U << 20U;

} // namespace

WriteBehind::WriteBehind() : m_thread([this] { run(); }) {}

WriteBehind::~WriteBehind() {
  {
    const std::lock_guard lock(m_mutex);
    m_stop = true;
    m_jobs.clear();
  }
  m_changed.notify_all();
  m_thread.join();
}

void WriteBehind::write(const std::shared_ptr<NewFile>& file,
                        std::uint64_t offset, const void* data,
                        std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  Job job;
  job.file = file;
  job.offset = offset;
  job.data.assign(bytes, bytes + size);
  push(std::move(job));
}

void WriteBehind::finish(const std::shared_ptr<NewFile>& file,
                         std::uint64_t size, mode_t mode,
                         const std::optional<timespec>& mtime) {
  Job job;
  job.file = file;
  job.finish = true;
  job.size = size;
  job.mode = mode;
  job.mtime = mtime;
  push(std::move(job));
}

void WriteBehind::drain() {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock,
                 [this] { return m_error || (m_jobs.empty() && !m_busy); });
  rethrow_error();
}

void WriteBehind::push(Job job) {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock,
                 [this] { return m_error || m_bytes < k_max_queued_bytes; });
  rethrow_error();
  m_bytes += job.data.size();
  m_jobs.push_back(std::move(job));
  lock.unlock();
  m_changed.notify_all();
}

void WriteBehind::run() {
  std::unique_lock lock(m_mutex);
  while (true) {
    m_changed.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
    if (m_stop) {
      return;
    }
    Job job = std::move(m_jobs.front());
    m_jobs.pop_front();
    m_busy = true;
    lock.unlock();
    std::exception_ptr error;
    try {
      if (job.finish) {
        job.file->finish(job.size, job.mode, job.mtime);
      } else {
        job.file->write_at(job.offset, job.data.data(), job.data.size());
      }
    } catch (...) {
      error = std::current_exception();
    }
    // Released outside the lock: closing a file is the slow part.
    job.file.reset();
    lock.lock();
    m_busy = false;
    m_bytes -= job.data.size();
    if (error && !m_error) {
      m_error = error;
      m_jobs.clear();
      m_bytes = 0;
    }
    m_changed.notify_all();
  }
}

void WriteBehind::rethrow_error() {
  if (m_error) {
    std::rethrow_exception(m_error);
  }
}

} // namespace xtc::unpack
