#!/usr/bin/env node
/** The `cdk8s-homelab` command (package.json `bin`): see `cdk8s-homelab help`. */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
