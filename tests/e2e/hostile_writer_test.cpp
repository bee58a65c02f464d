// Issue 17, the writer under attack: its output deleted or aliased while it runs, a file-size
// limit, signals and closed pipes. Each test failed on the binary before the fix.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "hostile_fixture.hpp"
#include "io/results_file.hpp"

namespace gs::test {
namespace {

namespace fs = std::filesystem;

// Waits until the writer has made rows durable (the file has grown past its empty layout).
void wait_for_rows(const Process& sweep, const std::string& out) {
  ASSERT_TRUE(sweep.wait_for_stderr("to measure", 60));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // past one flush (<= 2 s)
  ASSERT_TRUE(fs::exists(out));
}

// 17.1: the writer notices that its file is gone and fails; it used to say 0 failed and exit 0.
TEST_F(Hostile, OutputDeletedMidRunFailsWithExitOne) {
  const std::string out = path("x.h5");
  Process sweep(run_argv(out, 5), dir_.string());
  wait_for_rows(sweep, out);
  fs::remove(out);
  const ProcessResult r = sweep.wait();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("was deleted, moved or replaced"), std::string::npos) << r.err;
}

TEST_F(Hostile, OutputDirectoryRemovedMidRunFailsWithExitOne) {
  fs::create_directories(path("sub"));
  const std::string out = path("sub/x.h5");
  Process sweep(run_argv(out, 5), dir_.string());
  wait_for_rows(sweep, out);
  fs::remove_all(path("sub"));
  EXPECT_EQ(sweep.wait().exit_code, 1);
}

// 17.1: a renamed directory keeps the rows, and its writer stops without leaving a stale lock.
TEST_F(Hostile, OutputDirectoryRenamedMidRunKeepsTheRowsAndNoStaleLock) {
  fs::create_directories(path("sub"));
  const std::string out = path("sub/x.h5");
  Process sweep(run_argv(out, 5), dir_.string());
  wait_for_rows(sweep, out);
  fs::rename(path("sub"), path("moved"));
  EXPECT_EQ(sweep.wait().exit_code, 1);
  EXPECT_FALSE(fs::exists(path("moved/x.h5.lock")));
  EXPECT_GT(read_results_file(path("moved/x.h5")).rows.size(), 0u);
}

// 17.2: a second writer through a symlink or a hard link is refused, and the first writer's
// file is left to it.
TEST_F(Hostile, ASecondWriterThroughASymlinkOrHardLinkIsRefused) {
  fs::create_directories(path("tgt"));
  const std::string out = path("tgt/q.h5");
  Process first(run_argv(out, 5), dir_.string());
  wait_for_rows(first, out);
  fs::create_symlink(out, path("l.h5"));
  fs::create_hard_link(out, path("h.h5"));
  for (const char* alias : {"l.h5", "h.h5"}) {
    SCOPED_TRACE(alias);
    const ProcessResult second = run_model(path(alias), {"--resume"});
    expect_one_error_line(second, {"another name", alias});
    EXPECT_EQ(second.err.find("recovered"), std::string::npos) << second.err;
  }
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait().exit_code, 3);
  EXPECT_EQ(read_results_file(out).provenance.size(), 1u) << "the aliases wrote provenance";
}

// 17.7: a file-size limit is the same one-line write error as a full disk (it was SIGXFSZ, exit
// 153), readers name `recover`, and `recover` gets the durable rows back once it may grow the
// file, after which plain h5py and h5ls open it.
TEST_F(Hostile, AFileSizeLimitIsOneLineAndRecoverGetsTheDurableRowsBack) {
  const std::string out = path("x.h5");
  Process sweep(run_argv(out, 0.5), dir_.string());
  wait_for_rows(sweep, out);
  const auto limit = std::to_string(fs::file_size(out) + 30000);
  ASSERT_EQ(run_process({"prlimit", "--pid", std::to_string(sweep.pid()), "--fsize=" + limit},
                        dir_.string())
                .exit_code,
            0);
  const ProcessResult r = sweep.wait();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;

  const ProcessResult limited =
      run_process({"bash", "-c", "ulimit -f 1; exec \"$0\" recover \"$1\"", GEMMSWEEP_BINARY, out},
                  dir_.string());
  EXPECT_EQ(limited.exit_code, 1) << limited.err;
  EXPECT_NE(limited.err.find("file-size limit"), std::string::npos) << limited.err;

  const ProcessResult recovered = gemmsweep({"recover", out});
  ASSERT_EQ(recovered.exit_code, 0) << recovered.err;
  EXPECT_NE(recovered.err.find("recovered"), std::string::npos) << recovered.err;
  EXPECT_GT(read_results_file(out).rows.size(), 0u);
  const ProcessResult h5py =
      run_process({"/usr/bin/python3", "-c",
                   "import h5py, sys; print(len(h5py.File(sys.argv[1], 'r')['results']))", out},
                  dir_.string());
  EXPECT_EQ(h5py.exit_code, 0) << h5py.err;
  EXPECT_GT(std::stoul(h5py.out), 0u);
  EXPECT_EQ(run_process({"h5ls", out}, dir_.string()).exit_code, 0);
  EXPECT_NE(gemmsweep({"recover", out}).err.find("nothing to recover"), std::string::npos);
}

// Issue 15 / 17.7: a SIGKILLed writer's file opens in plain h5py and h5ls after recover.
TEST_F(Hostile, RecoverMakesAKilledWritersFileReadableByAnyHdf5Tool) {
  const std::string out = path("k.h5");
  Process sweep(run_argv(out, 5), dir_.string());
  wait_for_rows(sweep, out);
  sweep.signal(SIGKILL);
  sweep.wait();
  const std::string open_plain = "import h5py, sys; h5py.File(sys.argv[1], 'r')";
  EXPECT_NE(run_process({"/usr/bin/python3", "-c", open_plain, out}, dir_.string()).exit_code, 0)
      << "a killed writer's file opened without recovery: the test proves nothing";
  ASSERT_EQ(gemmsweep({"recover", out}).exit_code, 0);
  EXPECT_EQ(run_process({"/usr/bin/python3", "-c", open_plain, out}, dir_.string()).exit_code, 0);
  EXPECT_EQ(run_process({"h5ls", out}, dir_.string()).exit_code, 0);
}

// 17.12: SIGHUP drains like SIGTERM (it exited 129), and --resume completes the file.
TEST_F(Hostile, SighupDrainsAndExitsThree) {
  const std::string out = path("x.h5");
  Process sweep(run_argv(out, 5), dir_.string());
  wait_for_rows(sweep, out);
  sweep.signal(SIGHUP);
  const ProcessResult r = sweep.wait();
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("SIGHUP"), std::string::npos) << r.err;
  EXPECT_EQ(run_model(out, {"--resume"}).exit_code, 0);
  EXPECT_EQ(read_results_file(out).rows.size(), 1024u);
}

// 17.12: a SIGTERM while the process starts (it killed the process in the first 50-100 ms, while
// the libraries' constructors ran) drains it: exit 3, a file that --resume completes. Raised
// before exec and blocked, the signal reaches the program at the first moment it can run code.
TEST_F(Hostile, ASigtermWhileTheProcessStartsDrainsIt) {
  const std::string out = path("x.h5");
  Process sweep(run_argv(out, 1), dir_.string(), {}, StartSignals{{SIGTERM}, {}});
  const ProcessResult r = sweep.wait();
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("SIGTERM"), std::string::npos) << r.err;
  EXPECT_LT(read_results_file(out).rows.size(), 1024u);
  EXPECT_EQ(run_model(out, {"--resume"}).exit_code, 0);
  EXPECT_EQ(read_results_file(out).rows.size(), 1024u);
}

// 17.12: under nohup (SIGHUP ignored when the process starts) a closed terminal does not stop
// the sweep; it drained with exit 3.
TEST_F(Hostile, SighupIgnoredByNohupStaysIgnored) {
  const std::string out = path("x.h5");
  Process sweep(run_argv(out, 0.1), dir_.string(), {}, StartSignals{{}, {SIGHUP}});
  wait_for_rows(sweep, out);
  sweep.signal(SIGHUP);
  const ProcessResult r = sweep.wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_results_file(out).rows.size(), 1024u);
}

// 17.12: a reader of stderr that goes away does not stop the sweep (it exited 141).
TEST_F(Hostile, AClosedOutputPipeDoesNotStopTheSweep) {
  const std::string out = path("x.h5");
  const std::string command =
      "\"$0\" run \"$1\" -o \"$2\" --backend model --simulate 0.1 2>&1 | "
      "head -c 1 >/dev/null; exit ${PIPESTATUS[0]}";
  const ProcessResult r =
      run_process({"bash", "-c", command, GEMMSWEEP_BINARY, job(), out}, dir_.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_results_file(out).rows.size(), 1024u);
}

// 17.12: a resume with other [timing] records the job text it used.
TEST_F(Hostile, ResumeRecordsTheTimingItUsed) {
  const std::string out = path("x.h5");
  Process sweep(run_argv(out, 5), dir_.string());
  wait_for_rows(sweep, out);
  sweep.signal(SIGTERM);
  ASSERT_EQ(sweep.wait().exit_code, 3);
  std::string text = job_text();
  const std::string from = "min_samples = 10";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "min_samples = 7");
  std::ofstream(path("changed.toml")) << text;
  ASSERT_EQ(gemmsweep({"run", path("changed.toml"), "-o", out, "--backend", "model", "--resume"})
                .exit_code,
            0);
  const ResultsFile f = read_results_file(out);
  ASSERT_EQ(f.provenance.size(), 2u);
  const auto resume = nlohmann::json::parse(f.provenance.back());
  EXPECT_EQ(resume.at("event"), "resume");
  EXPECT_NE(resume.at("spec").get<std::string>().find("min_samples = 7"), std::string::npos);
}

}  // namespace
}  // namespace gs::test
