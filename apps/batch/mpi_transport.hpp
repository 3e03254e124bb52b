#pragma once
// MPI for `resample batch --mpi` (built only with RESAMPLE_MPI). Rank 0 reads the job file and the
// results file, tells every rank which jobs remain, runs its share and writes every line; the
// other ranks run their share and send each finished line to rank 0 as soon as it is done.
//
// MPI calls are serialized (MPI_THREAD_SERIALIZED): while jobs are distributed, only the thread
// that called the constructor makes them and TBB worker threads hand finished lines to it through
// a queue; while a split job runs, the thread running the job exchanges its block shares, and no
// other thread calls MPI.

#include <functional>
#include <optional>
#include <string>

#include "resample/monte_carlo_blocks.hpp"

namespace resample::cli::batch::mpi {

class session {
 public:
  session();   // MPI_Init_thread; throws usage_error if MPI cannot start
  ~session();  // MPI_Finalize
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Rank 0's text, on every rank.
  std::string broadcast(const std::string& text) const;

  // From a rank other than 0: one result line, or the end of this rank's work with its summary.
  void send_line(const std::string& line) const;
  void send_done(const std::string& summary) const;

  struct message {
    int source = 0;
    bool done = false;  // true: payload is the rank's summary; false: a result line
    std::string payload;
  };
  // On rank 0: the next message if one has arrived, without blocking.
  std::optional<message> poll() const;

  // One rank's share of a split job's Monte Carlo blocks: its partial, or why it has none.
  struct share {
    enum class status : unsigned long long { ok = 0, cancelled = 1, failed = 2 };
    status outcome = status::ok;
    resample::block_partial partial;
    std::string message;  // failed: what went wrong
  };
  // To rank `destination`: a rank's share to rank 0, or rank 0's merged result back to a rank
  // (blocks until it can be sent).
  void send_share(const share& s, int destination) const;
  // The share sent by `source`, waiting for it; `waiting` is called about every 10 ms while it has
  // not arrived (to notice a stop request), and may throw to stop waiting.
  share receive_share(int source, const std::function<void()>& waiting) const;

  // Ends every rank of the run (after the caller has said why on stderr).
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace resample::cli::batch::mpi
