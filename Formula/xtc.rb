# Homebrew formula for xtc; this repository is its own tap:
#   brew tap xtc-dev/xtc https://github.com/xtc-dev/xtc
#   brew install xtc-dev/xtc/xtc
# The fully qualified name is what Homebrew 6's tap trust needs: it trusts
# this formula alone.
# scripts/release rewrites `url` and `sha256` for each release.
class Xtc < Formula
  desc "Cross-compilation toolchains for C, C++ and Rust, one command"
  homepage "https://github.com/xtc-dev/xtc"
  url "https://github.com/xtc-dev/xtc/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "a0c5780e641fa773832bee3c0271f65daa4546e198b91d5fdc57f6be159e6b8c"
  license "MIT"
  head "https://github.com/xtc-dev/xtc.git", branch: "main"

  depends_on "cli11" => :build
  depends_on "cmake" => :build
  depends_on "nlohmann-json" => :build
  depends_on "fmt"
  depends_on "libarchive"
  depends_on "openssl@3"
  depends_on "tomlplusplus"

  uses_from_macos "curl"

  def install
    # A unity build compiles the third-party headers a few times instead of
    # once per file: about a third of the time of a build from source.
    system "cmake", "-S", ".", "-B", "build", "-DCMAKE_UNITY_BUILD=ON", *std_cmake_args
    system "cmake", "--build", "build"
    system "cmake", "--install", "build"
    generate_completions_from_executable(bin/"xtc", "completions")
  end

  def caveats
    <<~EOS
      xtc puts its compiler shims in ~/.xtc/bin; add it to your PATH:
        export PATH="$HOME/.xtc/bin:$PATH"
    EOS
  end

  test do
    assert_match "xtc #{version}", shell_output("#{bin}/xtc --version") unless version.head?

    # A toolchain whose "gcc" is a shell script printing a known line, packed
    # and described by a manifest the way a real one is, served by file://.
    gcc = testpath/"toolchain/bin/x86_64-linux-musl-gcc"
    gcc.dirname.mkpath
    gcc.write <<~SH
      #!/bin/sh
      echo "formula-test gcc: $*"
    SH
    gcc.chmod 0755
    archive = testpath/"toolchain.tar.gz"
    system "tar", "-czf", archive, "-C", testpath/"toolchain", "bin"
    (testpath/"manifest.toml").write <<~TOML
      schema_version = 1
      [[artifact]]
      id = "formula-test-gcc"
      kind = "toolchain"
      flavor = "gcc"
      target = "x86_64-linux-musl"
      host = "any"
      version = "1.0"
      urls = ["file://#{archive}"]
      sha256 = "#{archive.sha256}"
      size = #{archive.size}
      format = "tar.gz"
      [artifact.tools]
      cc = "bin/x86_64-linux-musl-gcc"
    TOML

    # A manifest made on the spot has no signature: --allow-unsigned is for
    # exactly this (a local file), and xtc warns about it.
    ENV["XTC_HOME"] = (testpath/"xtc-home").to_s
    system bin/"xtc", "--quiet", "--allow-unsigned",
           "--manifest", testpath/"manifest.toml",
           "target", "add", "--no-config", "--no-rustup", "x86_64-linux-musl"
    assert_equal "formula-test gcc: -c hello.c",
                 shell_output("#{testpath}/xtc-home/bin/x86_64-linux-musl-gcc -c hello.c").strip
    assert_match "x86_64-linux-musl", shell_output("#{bin}/xtc target list --installed")
  end
end
