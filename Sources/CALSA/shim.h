#pragma once
#include <stdio.h>
#include <alsa/asoundlib.h>
