#include "mpi_transport.hpp"

#include <mpi.h>

#include <climits>
#include <cstdlib>
#include <vector>

#include "../cli_common.hpp"

namespace resample::cli::batch::mpi {

namespace {

constexpr int tag_line = 1;
constexpr int tag_done = 2;

int checked_count(std::size_t size) {
  if (size > static_cast<std::size_t>(INT_MAX)) throw usage_error("--mpi: a message exceeds 2 GiB");
  return static_cast<int>(size);
}

}  // namespace

session::session() {
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw usage_error("--mpi: MPI_Init_thread failed");
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw usage_error("--mpi: the MPI library does not support MPI_THREAD_FUNNELED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

session::~session() { MPI_Finalize(); }

std::string session::broadcast(const std::string& text) const {
  unsigned long long length = text.size();
  MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  std::string received = rank_ == 0 ? text : std::string(length, '\0');
  MPI_Bcast(received.data(), checked_count(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  return received;
}

void session::send_line(const std::string& line) const {
  MPI_Send(line.data(), checked_count(line.size()), MPI_CHAR, 0, tag_line, MPI_COMM_WORLD);
}

void session::send_done(const std::string& summary) const {
  MPI_Send(summary.data(), checked_count(summary.size()), MPI_CHAR, 0, tag_done, MPI_COMM_WORLD);
}

std::optional<session::message> session::poll() const {
  int arrived = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
  if (!arrived) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  message m;
  m.source = status.MPI_SOURCE;
  m.done = status.MPI_TAG == tag_done;
  m.payload.assign(static_cast<std::size_t>(count), '\0');
  MPI_Recv(m.payload.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return m;
}

void session::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; this keeps [[noreturn]] honest
}

}  // namespace resample::cli::batch::mpi
