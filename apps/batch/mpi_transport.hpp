#pragma once
// MPI for `resample batch --mpi` (built only with RESAMPLE_MPI). Rank 0 reads the job file and the
// results file, tells every rank which jobs remain, runs its share and writes every line; the
// other ranks run their share and send each finished line to rank 0 as soon as it is done.
//
// Only the thread that called the constructor makes MPI calls (MPI_THREAD_FUNNELED): TBB worker
// threads hand finished lines to it through a queue.

#include <optional>
#include <string>

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

  // Ends every rank of the run (after the caller has said why on stderr).
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace resample::cli::batch::mpi
