/** JUnit 5 extensions that integration tests of distlock and its backends share. */
package io.github.distlock.testkit.junit;
