#include "mpi_transport.hpp"

#include <mpi.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "../cli_common.hpp"

namespace resample::cli::batch::mpi {

namespace {

constexpr int tag_line = 1;
constexpr int tag_done = 2;
constexpr int tag_share = 3;  // a split job's share; only exchanged while no line can be in flight

int checked_count(std::size_t size) {
  if (size > static_cast<std::size_t>(INT_MAX)) throw usage_error("--mpi: a message exceeds 2 GiB");
  return static_cast<int>(size);
}

}  // namespace

session::session() {
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
    throw usage_error("--mpi: MPI_Init_thread failed");
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw usage_error("--mpi: the MPI library does not support MPI_THREAD_SERIALIZED");
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
  // Shares are all received while split jobs run; one arriving later means the ranks disagree.
  if (status.MPI_TAG == tag_share)
    throw usage_error("--mpi: rank " + std::to_string(status.MPI_SOURCE) +
                      " sent a block share after the split jobs ended");
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

void session::send_share(const share& s, int destination) const {
  // Typed arrays rather than bytes: MPI's int counts then allow 2^31 elements, not 2 GiB.
  const unsigned long long header[6] = {static_cast<unsigned long long>(s.outcome),
                                        s.partial.first_block,
                                        s.partial.last_block,
                                        s.partial.counts.size(),
                                        s.partial.values.size(),
                                        s.partial.t_values.size()};
  MPI_Send(header, 6, MPI_UNSIGNED_LONG_LONG, destination, tag_share, MPI_COMM_WORLD);
  MPI_Send(s.partial.counts.data(), checked_count(s.partial.counts.size()), MPI_UINT64_T, destination,
           tag_share, MPI_COMM_WORLD);
  MPI_Send(s.partial.values.data(), checked_count(s.partial.values.size()), MPI_DOUBLE, destination,
           tag_share, MPI_COMM_WORLD);
  MPI_Send(s.partial.t_values.data(), checked_count(s.partial.t_values.size()), MPI_DOUBLE, destination,
           tag_share, MPI_COMM_WORLD);
  MPI_Send(s.message.data(), checked_count(s.message.size()), MPI_CHAR, destination, tag_share,
           MPI_COMM_WORLD);
}

session::share session::receive_share(int source, const std::function<void()>& waiting) const {
  while (true) {
    int arrived = 0;
    MPI_Iprobe(source, tag_share, MPI_COMM_WORLD, &arrived, MPI_STATUS_IGNORE);
    if (arrived) break;
    waiting();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  unsigned long long header[6] = {};
  MPI_Recv(header, 6, MPI_UNSIGNED_LONG_LONG, source, tag_share, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  share s;
  s.outcome = static_cast<share::status>(header[0]);
  s.partial.first_block = header[1];
  s.partial.last_block = header[2];
  s.partial.counts.resize(header[3]);
  s.partial.values.resize(header[4]);
  s.partial.t_values.resize(header[5]);
  // The rest follows the header from the same rank; MPI keeps messages of one pair and tag in order.
  MPI_Recv(s.partial.counts.data(), checked_count(s.partial.counts.size()), MPI_UINT64_T, source, tag_share,
           MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Recv(s.partial.values.data(), checked_count(s.partial.values.size()), MPI_DOUBLE, source, tag_share,
           MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Recv(s.partial.t_values.data(), checked_count(s.partial.t_values.size()), MPI_DOUBLE, source, tag_share,
           MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Status status;
  MPI_Probe(source, tag_share, MPI_COMM_WORLD, &status);
  int length = 0;
  MPI_Get_count(&status, MPI_CHAR, &length);
  s.message.assign(static_cast<std::size_t>(length), '\0');
  MPI_Recv(s.message.data(), length, MPI_CHAR, source, tag_share, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return s;
}

void session::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; this keeps [[noreturn]] honest
}

}  // namespace resample::cli::batch::mpi
