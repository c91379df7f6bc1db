#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Stands in for the unit tests when configure did not find the check library.
echo "the check library was not found: unit tests skipped" >&2
exit 77
