#!/usr/bin/env node
// The package's `event-pusher` command: runs the component through the Node runner.
import { register } from "tsx/esm/api";

register();
await import("../runner/run-component.ts");
