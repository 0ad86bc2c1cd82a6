// How StemDeck's processes wait inside LibTorch's OpenMP thread team on the CPU.
//
// GNU OpenMP (libgomp, which Debian's LibTorch uses) spins for about 300,000 iterations at
// every barrier by default. On a machine whose cores are also busy with something else (the
// GUI, a decoder, other programs, a shared build machine) a spinning worker burns the very core
// the late thread needs: the compact model ran 3-5x slower on the 2-core development machine
// (bench/NOTES.md, "CPU"). Waiting passively (sleeping on a futex) costs microseconds per
// parallel region and nothing when cores are shared.
//
// libgomp reads OMP_WAIT_POLICY once, in its own library constructor, before main() and before
// any of our static initialisers; no API changes it later. So openmp_policy.cpp puts a function
// in the executable's .preinit_array, which the dynamic loader runs before any shared library's
// constructor: when neither OMP_WAIT_POLICY nor GOMP_SPINCOUNT is set (the user's choice wins:
// OMP_WAIT_POLICY=active brings the spinning back), it starts the program again with
// OMP_WAIT_POLICY=PASSIVE added (execve of /proc/self/exe, same arguments; libc's `environ`
// does not exist yet at that point, so setenv cannot do it). It only works for executables that
// link this object (any that build the network: tfc_tdf_net.cpp references it).
#pragma once

#include <string>

namespace stemdeck::model {

struct OpenMpWaitPolicy {
    std::string value;   // OMP_WAIT_POLICY as the OpenMP runtime saw it at start-up ("" = unset)
    bool setByStemDeck = false; // true when StemDeck chose it (the user had set neither variable)
};

// What the start-up hook found and did.
OpenMpWaitPolicy openMpWaitPolicy();

} // namespace stemdeck::model
