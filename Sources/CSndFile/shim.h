#pragma once
#include <stdio.h>
#include <sndfile.h>
