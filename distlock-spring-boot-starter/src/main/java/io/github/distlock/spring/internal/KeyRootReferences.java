package io.github.distlock.spring.internal;

import io.github.distlock.LockConfigurationException;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.Indexer;
import org.springframework.expression.spel.ast.InlineMap;
import org.springframework.expression.spel.ast.Projection;
import org.springframework.expression.spel.ast.PropertyOrFieldReference;
import org.springframework.expression.spel.ast.Selection;
import org.springframework.expression.spel.standard.SpelExpression;

/**
 * Catches the commonest key mistake when the application starts rather than at the first call:
 * a constant written without quotes ({@code key = "nightly-report"}), which SpEL reads as
 * properties of the root object ({@code nightly - report}). A bare name in a key may only be one
 * of {@link LockKeyRoot}'s properties.
 */
final class KeyRootReferences {

    private KeyRootReferences() {
    }

    /**
     * Checks the names a key expression reads from its root object.
     *
     * @param key the parsed expression
     * @param source the expression as written
     * @param description the method, for the message
     * @throws LockConfigurationException naming the unknown name
     */
    static void check(Expression key, String source, String description) {
        if (key instanceof SpelExpression spel) {
            checkRootScoped(spel.getAST(), source, description);
        }
    }

    /** Checks a node evaluated against the root object, and what it contains. */
    private static void checkRootScoped(SpelNode node, String source, String description) {
        if (node instanceof PropertyOrFieldReference property && !LockKeyRoot.PROPERTIES.contains(property.getName())) {
            throw LockedMethods.invalid(description, "key '" + source + "' reads '" + property.getName()
                    + "', which is neither a parameter (write #" + property.getName() + ") nor one of the key's root "
                    + "properties " + LockKeyRoot.PROPERTIES + (source.matches("[\\w.:/-]+")
                            ? "; a constant key is a quoted string: key = \"'" + source + "'\"" : ""));
        }
        if (node instanceof Selection || node instanceof Projection) {
            return; // evaluated against each element, not the root
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            SpelNode child = node.getChild(i);
            if (isLiteralName(node, i, child)) {
                continue;
            }
            if (node instanceof CompoundExpression && i > 0) {
                checkChildrenOf(child, source, description); // .name reads the previous value, its arguments the root
            } else {
                checkRootScoped(child, source, description);
            }
        }
    }

    private static void checkChildrenOf(SpelNode node, String source, String description) {
        if (node instanceof Selection || node instanceof Projection) {
            return;
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            if (!isLiteralName(node, i, node.getChild(i))) {
                checkRootScoped(node.getChild(i), source, description);
            }
        }
    }

    /** A name SpEL takes as a literal: a map index ({@code #map[key]}) or an inline map's key ({@code {key: 1}}). */
    private static boolean isLiteralName(SpelNode parent, int index, SpelNode child) {
        return child instanceof PropertyOrFieldReference
                && (parent instanceof Indexer || (parent instanceof InlineMap && index % 2 == 0));
    }
}
