# Copyright (c) mmreid contributors. All rights reserved.
