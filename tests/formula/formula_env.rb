# Runs Formula/xtc.rb outside Homebrew: the part of Homebrew's formula API the
# formula uses (its DSL, `std_cmake_args`, `system`, `shell_output`,
# `generate_completions_from_executable`, the install paths, Pathname#sha256,
# the assertions), so a test can execute the formula's own `install` and
# `test do` blocks on a machine where `brew` cannot run. The formula stays the
# only place where its steps are written down.
#
#   ruby formula_env.rb FORMULA describe
#   ruby formula_env.rb FORMULA install BUILDPATH PREFIX
#   ruby formula_env.rb FORMULA test PREFIX TESTPATH
require "digest"
require "fileutils"
require "json"
require "pathname"

class Pathname
  # Homebrew's Pathname#sha256.
  def sha256
    Digest::SHA256.file(self).hexdigest
  end
end

# Homebrew's Version, as far as the formula uses it.
class FormulaVersion
  def initialize(text)
    @text = text
  end

  def head?
    @text.start_with?("HEAD")
  end

  def to_s
    @text
  end
end

class BuildError < StandardError; end

class Formula
  class << self
    attr_reader :spec

    def inherited(subclass)
      super
      subclass.instance_variable_set(:@spec, { depends_on: {}, uses_from_macos: [] })
      @formula_class = subclass
    end

    def formula_class
      Formula.instance_variable_get(:@formula_class)
    end

    %i[desc homepage sha256 license].each do |name|
      define_method(name) { |value| @spec[name] = value }
    end

    def url(value, **options)
      @spec[:url] = value
      @spec[:url_options] = options
    end

    def head(value, branch: nil)
      @spec[:head] = { url: value, branch: branch }
    end

    def depends_on(dependency)
      if dependency.is_a?(Hash)
        dependency.each { |name, type| @spec[:depends_on][name] = Array(type).map(&:to_s) }
      else
        @spec[:depends_on][dependency] = []
      end
    end

    def uses_from_macos(name, **options)
      @spec[:uses_from_macos] << { name: name, options: options }
    end

    def test(&block)
      @spec[:test] = block
    end
  end

  attr_reader :prefix, :testpath

  def initialize(prefix: nil, testpath: nil)
    @prefix = Pathname(prefix || "/nonexistent")
    @testpath = Pathname(testpath || "/nonexistent")
  end

  def bin = prefix/"bin"
  def libexec = prefix/"libexec"
  def share = prefix/"share"
  def pkgshare = share/"xtc"
  def bash_completion = prefix/"etc/bash_completion.d"
  def zsh_completion = share/"zsh/site-functions"
  def fish_completion = share/"fish/vendor_completions.d"

  # The version Homebrew derives from a GitHub tag archive URL.
  def version
    FormulaVersion.new(self.class.spec[:url][%r{/v?(\d+(?:\.\d+)+[^/]*?)\.tar\.gz\z}, 1])
  end

  # Exactly what Homebrew's std_cmake_args hands to a CMake configure that
  # matters here: Release, no tests, and no FetchContent downloads.
  def std_cmake_args
    ["-DCMAKE_INSTALL_PREFIX=#{prefix}", "-DCMAKE_BUILD_TYPE=Release",
     "-DBUILD_TESTING=OFF", "-DCMAKE_FIND_FRAMEWORK=LAST",
     "-DCMAKE_VERBOSE_MAKEFILE=ON", "-Wno-dev"]
  end

  def system(*args)
    argv = args.map(&:to_s)
    puts "==> #{argv.join(" ")}" # as Homebrew logs each command
    $stdout.flush
    return if Kernel.system(*argv)

    raise BuildError, "failed: #{argv.join(" ")} (#{$?.exitstatus.inspect})"
  end

  def shell_output(command, expected = 0)
    output = IO.popen(["/bin/sh", "-c", command], &:read)
    status = $?.exitstatus
    raise BuildError, "'#{command}' exited #{status}, expected #{expected}: #{output}" if status != expected

    output
  end

  def generate_completions_from_executable(executable, *args, shells: %i[bash zsh fish])
    files = { bash: bash_completion/"xtc", zsh: zsh_completion/"_xtc", fish: fish_completion/"xtc.fish" }
    shells.each do |shell|
      script = IO.popen([executable.to_s, *args.map(&:to_s), shell.to_s], &:read)
      raise BuildError, "#{executable} #{args.join(" ")} #{shell} failed" unless $?.success?

      files[shell].dirname.mkpath
      files[shell].write(script)
    end
  end

  def assert_equal(expected, actual)
    raise BuildError, "expected #{expected.inspect}, got #{actual.inspect}" unless expected == actual
  end

  def assert_match(pattern, text)
    matched = pattern.is_a?(Regexp) ? pattern.match?(text) : text.include?(pattern)
    raise BuildError, "expected #{pattern.inspect} in #{text.inspect}" unless matched
  end

  def assert_predicate(object, predicate)
    raise BuildError, "expected #{object} to be #{predicate}" unless object.public_send(predicate)
  end
end

formula_path, phase, *rest = ARGV
load File.expand_path(formula_path)
klass = Formula.formula_class
case phase
when "describe"
  spec = klass.spec.reject { |key, _| key == :test }
  spec[:version] = klass.new.version.to_s
  spec[:caveats] = klass.new.caveats
  spec[:has_test] = !klass.spec[:test].nil?
  puts JSON.pretty_generate(spec)
when "install"
  buildpath, prefix = rest
  ENV["MAKEFLAGS"] = "-j#{ENV.fetch("XTC_FORMULA_JOBS", "2")}"
  Dir.chdir(buildpath) { klass.new(prefix: prefix).install }
when "test"
  prefix, testpath = rest
  Dir.chdir(testpath) { klass.new(prefix: prefix, testpath: testpath).instance_exec(&klass.spec[:test]) }
  puts "formula test passed"
else
  abort "usage: #{$PROGRAM_NAME} FORMULA describe|install BUILDPATH PREFIX|test PREFIX TESTPATH"
end
