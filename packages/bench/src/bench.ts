// The benchmark lands in the next commit.
process.stdout.write('pnpm bench: not implemented yet\n');
