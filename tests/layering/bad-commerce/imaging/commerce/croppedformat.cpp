// Sample input for layering/rejects-commerce-imaging: core/commerce must not use other core libraries.
#include "core/common/result.h"
#include "core/imaging/smartcrop.h"
