// erg's FastJet peer for `erg bench hep` (compiled at bench time against Debian's
// libfastjet-dev: g++ -O2 fastjet_peer.cc $(fastjet-config --cxxflags --libs)).
//
// Usage: fastjet_peer EVENTS R PTMIN REPS JETS_OUT
// EVENTS holds particles "px py pz E" one a line, events separated by "#END" lines.
// Clusters every event with anti-kT (R, E-scheme, FastJet's Best strategy) REPS
// times, writes each event's inclusive jets with pT >= PTMIN to JETS_OUT ("pt" lines,
// hardest first, "#END" after each event) and prints one JSON line with the
// fastest repetition's milliseconds per event.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fastjet/ClusterSequence.hh"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s EVENTS R PTMIN REPS JETS_OUT\n", argv[0]);
    return 2;
  }
  double R = std::atof(argv[2]), ptmin = std::atof(argv[3]);
  int reps = std::atoi(argv[4]);
  std::ifstream in(argv[1]);
  std::vector<std::vector<fastjet::PseudoJet>> events(1);
  std::string line;
  size_t nparts = 0;
  while (std::getline(in, line)) {
    if (line.rfind("#END", 0) == 0) {
      events.emplace_back();
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    double px, py, pz, e;
    if (!(ss >> px >> py >> pz >> e)) {
      std::fprintf(stderr, "bad line: %s\n", line.c_str());
      return 1;
    }
    events.back().emplace_back(px, py, pz, e);
    nparts++;
  }
  if (events.back().empty()) events.pop_back();
  fastjet::ClusterSequence::set_fastjet_banner_stream(nullptr);
  fastjet::JetDefinition def(fastjet::antikt_algorithm, R, fastjet::E_scheme, fastjet::Best);
  double best = 1e300;
  std::FILE* out = std::fopen(argv[5], "w");
  for (int r = 0; r < reps; r++) {
    auto t0 = std::chrono::steady_clock::now();
    size_t njets = 0;
    for (size_t i = 0; i < events.size(); i++) {
      fastjet::ClusterSequence cs(events[i], def);
      std::vector<fastjet::PseudoJet> jets = fastjet::sorted_by_pt(cs.inclusive_jets(ptmin));
      njets += jets.size();
      if (r == 0) {
        for (auto& j : jets) std::fprintf(out, "%.17g\n", j.pt());
        std::fprintf(out, "#END\n");
      }
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / events.size();
    if (ms < best) best = ms;
    if (njets == 0 && events.size() > 1000000) std::printf("#\n");  // keep the loop observable
  }
  std::fclose(out);
  std::printf("{\"peer\": \"FastJet %s\", \"ms\": {\"antikt\": %.6g}, \"events\": %zu, \"particles\": %zu}\n",
              fastjet::fastjet_version_string().c_str(), best, events.size(), nparts);
  return 0;
}
