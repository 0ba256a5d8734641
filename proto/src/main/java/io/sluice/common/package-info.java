/** Small pieces every module uses: the clock abstraction and the build version. */
package io.sluice.common;
