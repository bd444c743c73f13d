package org.paasta.servicepack.sdk.web;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import reactor.core.publisher.Mono;

/**
 * Writes a controller's {@code Mono} result on the request thread when the Mono has already
 * completed, which every SCOSB controller's Mono has here ({@link Eager} runs the work before
 * SCOSB gets the Mono). Spring MVC otherwise treats each Mono as a deferred result and completes
 * it with a second, asynchronous dispatch through Tomcat, the filters and the DispatcherServlet:
 * measurable on every provision, bind and unbind. A Mono that has not completed yet keeps
 * Spring's asynchronous handling.
 */
public final class SynchronousMonoResults implements SmartInitializingSingleton {
    private final RequestMappingHandlerAdapter adapter;

    public SynchronousMonoResults(RequestMappingHandlerAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<HandlerMethodReturnValueHandler> handlers = adapter.getReturnValueHandlers();
        if (handlers == null || handlers.stream().anyMatch(Handler.class::isInstance)) {
            return;
        }
        HandlerMethodReturnValueHandlerComposite springDefaults = new HandlerMethodReturnValueHandlerComposite()
                .addHandlers(handlers);
        List<HandlerMethodReturnValueHandler> ordered = new ArrayList<>();
        ordered.add(new Handler(springDefaults));
        ordered.addAll(handlers);
        adapter.setReturnValueHandlers(ordered);
    }

    private record Handler(HandlerMethodReturnValueHandlerComposite springDefaults)
            implements HandlerMethodReturnValueHandler {
        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return Mono.class.isAssignableFrom(returnType.getParameterType());
        }

        @Override
        public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mav,
                                      NativeWebRequest request) throws Exception {
            if (returnValue == null) {
                springDefaults.handleReturnValue(null, returnType, mav, request);
                return;
            }
            CompletableFuture<?> result = ((Mono<?>) returnValue).toFuture();
            Object value = result.isDone() ? valueOf(result) : null;
            if (value == null) {
                // Still running, or completed empty: Spring's deferred-result handling, unchanged.
                springDefaults.handleReturnValue(Mono.fromFuture(result), returnType, mav, request);
                return;
            }
            springDefaults.handleReturnValue(value, new ResolvedParameter(returnType, value), mav, request);
        }

        /** The value, or the failure thrown as itself, so the controller advice maps it as any other. */
        private static Object valueOf(CompletableFuture<?> done) throws Exception {
            try {
                return done.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }

    /** The Mono's element type, as Spring's own async result handling presents it to the handlers. */
    private static final class ResolvedParameter extends MethodParameter {
        private final Class<?> valueType;
        private final Type genericType;

        ResolvedParameter(MethodParameter monoType, Object value) {
            super(monoType);
            this.valueType = value.getClass();
            Type generic = ResolvableType.forMethodParameter(monoType).getGeneric().getType();
            this.genericType = generic instanceof Class<?> || generic instanceof java.lang.reflect.ParameterizedType
                    ? generic : valueType;
        }

        private ResolvedParameter(ResolvedParameter original) {
            super(original);
            this.valueType = original.valueType;
            this.genericType = original.genericType;
        }

        @Override
        public Class<?> getParameterType() {
            return valueType;
        }

        @Override
        public Type getGenericParameterType() {
            return genericType;
        }

        @Override
        public ResolvedParameter clone() {
            return new ResolvedParameter(this);
        }
    }
}
