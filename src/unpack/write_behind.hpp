// WriteBehind moves the writing of file contents off the decoding thread:
// the extractor decodes, checks and creates each file, then queues its data
// blocks and its final size, mode and time here, and a second thread writes
// and closes them. Decompression and the kernel's file writes then use two
// cores. Blocks of one file are written in order; the queue holds a bounded
// number of bytes, so a fast decoder waits for the disk. The first write
// error is reported by the next call on the decoding thread.
#pragma once

#include "unpack/tree_writer.hpp"

#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace xtc::unpack {

class WriteBehind {
public:
  WriteBehind();
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;
  // Stops the thread; pending work is dropped (the tree is being discarded).
  ~WriteBehind();

  // Queues a copy of data for file at offset; waits while the queue is
  // full. Throws an earlier write's xtc::Error.
  void write(const std::shared_ptr<NewFile>& file, std::uint64_t offset,
             const void* data, std::size_t size);
  // Queues NewFile::finish(size, mode, mtime) for file.
  void finish(const std::shared_ptr<NewFile>& file, std::uint64_t size,
              mode_t mode, const std::optional<timespec>& mtime);
  // Waits until everything queued is written and closed; throws the first
  // write error.
  void drain();

private:
  struct Job {
    std::shared_ptr<NewFile> file;
    std::uint64_t offset = 0;
    std::vector<char> data;
    bool finish = false;
    std::uint64_t size = 0;
    mode_t mode = 0;
    std::optional<timespec> mtime;
  };

  void push(Job job);
  void run();
  void rethrow_error();

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Job> m_jobs;
  std::size_t m_bytes = 0;
  bool m_busy = false;
  bool m_stop = false;
  std::exception_ptr m_error;
  std::thread m_thread;
};

} // namespace xtc::unpack
