/**
 * Network fault injection for tests: {@link io.github.distlock.testkit.net.FaultProxy}, a TCP
 * proxy that black-holes, delays or resets the connections of the clients routed through it.
 */
package io.github.distlock.testkit.net;
