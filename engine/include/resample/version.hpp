#pragma once

namespace resample {

// The engine version; part of every result's provenance (a run is a pure function of data,
// options, seed and this version).
inline constexpr const char* engine_version = RESAMPLE_VERSION;

}  // namespace resample
