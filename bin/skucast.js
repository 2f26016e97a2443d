#!/usr/bin/env node
import '../server.js';
