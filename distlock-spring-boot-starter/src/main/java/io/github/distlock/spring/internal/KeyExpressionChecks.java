package io.github.distlock.spring.internal;

import io.github.distlock.LockConfigurationException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.Indexer;
import org.springframework.expression.spel.ast.InlineMap;
import org.springframework.expression.spel.ast.Projection;
import org.springframework.expression.spel.ast.PropertyOrFieldReference;
import org.springframework.expression.spel.ast.Selection;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;

/**
 * Catches the commonest key mistakes when the application starts rather than at the first call:
 * a constant written without quotes ({@code key = "nightly-report"}), which SpEL reads as
 * properties of the root object ({@code nightly - report}), and a variable that names no
 * parameter ({@code #invoceId}, or any name when the class was compiled without
 * {@code -parameters}), which would evaluate to {@code null}.
 */
final class KeyExpressionChecks {

    private static final Pattern POSITIONAL = Pattern.compile("[ap](\\d+)");

    private KeyExpressionChecks() {
    }

    /**
     * Checks that every {@code #variable} of a key is {@code #root}, {@code #this}, a parameter
     * name or a position ({@code #p0}, {@code #a0}) of the method.
     *
     * @param key the parsed expression
     * @param source the expression as written
     * @param description the method, for the message
     * @param parameterNames the method's parameter names, or {@code null} when not known
     * @param parameterCount how many parameters it has
     * @throws LockConfigurationException naming the unknown variable
     */
    static void checkVariables(Expression key, String source, String description, String[] parameterNames,
            int parameterCount) {
        if (key instanceof SpelExpression spel) {
            checkVariables(spel.getAST(), source, description, parameterNames, parameterCount);
        }
    }

    private static void checkVariables(SpelNode node, String source, String description, String[] parameterNames,
            int parameterCount) {
        if (node instanceof VariableReference) {
            String name = node.toStringAST().substring(1);
            Matcher positional = POSITIONAL.matcher(name);
            boolean known = name.equals("root") || name.equals("this")
                    || (parameterNames != null && Arrays.asList(parameterNames).contains(name))
                    || (positional.matches() && Integer.parseInt(positional.group(1)) < parameterCount);
            if (!known) {
                throw LockedMethods.invalid(description, "key '" + source + "' reads #" + name + ", which is not a "
                        + "parameter of the method: " + (parameterNames != null
                                ? "its parameters are " + Arrays.toString(parameterNames) + " (or #p0, #a0, ...)"
                                : "its parameter names are not known (compile with -parameters), so use #p0, #a0, ..."));
            }
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            checkVariables(node.getChild(i), source, description, parameterNames, parameterCount);
        }
    }

    /**
     * Checks the bare names a key expression reads from its root object.
     *
     * @param key the parsed expression
     * @param source the expression as written
     * @param description the method, for the message
     * @throws LockConfigurationException naming the unknown name
     */
    static void checkRootNames(Expression key, String source, String description) {
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
