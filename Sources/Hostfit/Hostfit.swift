public enum Hostfit {}
