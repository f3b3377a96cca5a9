using BenchmarkDotNet.Running;

// `./build.sh bench [filter]` runs these; every suite carries its own baseline so results read as ratios.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
